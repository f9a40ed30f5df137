from django.urls import path

from . import views

app_name = "tenants"

urlpatterns = [
    path("tenants/switch/", views.switch, name="switch"),
    path("notices/", views.notices, name="notices"),
    path("admin-center/", views.admin_home, name="admin_home"),
    path("admin-center/users/", views.users, name="users"),
    path("admin-center/users/<int:pk>/enabled/", views.user_enabled, name="user_enabled"),
    path("admin-center/users/<int:pk>/roles/", views.user_roles, name="user_roles"),
]
